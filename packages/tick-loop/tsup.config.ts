import { railPackage } from '../../tsup.base';

export default railPackage();
